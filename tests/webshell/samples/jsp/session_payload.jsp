<%-- DEFANGED vigil test sample (see README): the scriptlet below does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
    if (session.getAttribute("p") == null) {
        session.setAttribute("p", loadFromRequest(request));
    }
    Object o = ((Class) session.getAttribute("p")).newInstance();
%>
